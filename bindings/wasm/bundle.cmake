# Joins the Emscripten module (CORE) and the ES wrapper (WRAPPER) into one ES module (OUT): the
# wrapper's import of ./laurel_core.mjs is replaced by the module's code, whose own
# `export default` is dropped, so the file has exactly one default export, the wrapper's.
# Usage: cmake -DCORE=... -DWRAPPER=... -DOUT=... -P bundle.cmake
set(import_line "import createLaurelCore from './laurel_core.mjs';")
set(core_export "export default createLaurelCore;")

file(READ ${CORE} core)
file(READ ${WRAPPER} wrapper)

string(FIND "${core}" "${core_export}" at REVERSE)
if(at EQUAL -1)
  message(FATAL_ERROR "${CORE} does not end with '${core_export}': did the Emscripten flags change?")
endif()
string(SUBSTRING "${core}" 0 ${at} core)

string(FIND "${wrapper}" "${import_line}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${WRAPPER} lacks the line: ${import_line}")
endif()
string(REPLACE "${import_line}" "// laurel_core.mjs, built by Emscripten from bindings/wasm/module.cpp:\n${core}\n"
  bundled "${wrapper}")

get_filename_component(dir ${OUT} DIRECTORY)
file(MAKE_DIRECTORY ${dir})
file(WRITE ${OUT}.tmp "${bundled}")
file(RENAME ${OUT}.tmp ${OUT})
