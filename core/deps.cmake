# Third-party libraries as imported targets. The dev build takes Debian's shared libraries; two
# builds take static libraries compiled from Debian's source packages under one prefix instead:
# - WebAssembly: LAUREL_WASM_DEPS, where scripts/build-wasm.sh built simdjson and Crypto++;
# - the portable wheel: LAUREL_STATIC_DEPS=ON with LAUREL_DEPS_PREFIX, where
#   scripts/build-static-deps.sh built all three (position-independent), so the extension needs
#   only glibc and libstdc++ (docs/packaging.md).
if(TARGET laurel::simdjson)
  return()
endif()

option(LAUREL_STATIC_DEPS "Link LMDB, simdjson and Crypto++ statically from LAUREL_DEPS_PREFIX" OFF)
set(LAUREL_DEPS_PREFIX "" CACHE PATH "Prefix of the static dependencies (LAUREL_STATIC_DEPS)")

# laurel_static_dep(NAME FILE PREFIX): laurel::NAME as the static library PREFIX/lib/FILE.
function(laurel_static_dep name file prefix)
  if(NOT EXISTS ${prefix}/lib/${file})
    message(FATAL_ERROR "${prefix}/lib/${file} is missing: run scripts/build-static-deps.sh")
  endif()
  add_library(laurel::${name} STATIC IMPORTED GLOBAL)
  set_target_properties(laurel::${name} PROPERTIES IMPORTED_LOCATION ${prefix}/lib/${file}
    INTERFACE_INCLUDE_DIRECTORIES ${prefix}/include)
endfunction()

if(LAUREL_WASM)
  laurel_static_dep(simdjson libsimdjson.a ${LAUREL_WASM_DEPS})
  laurel_static_dep(cryptopp libcryptopp.a ${LAUREL_WASM_DEPS})
  laurel_static_dep(zlib libz.a ${LAUREL_WASM_DEPS})
  return()
endif()
if(LAUREL_STATIC_DEPS)
  if(NOT LAUREL_DEPS_PREFIX)
    message(FATAL_ERROR "LAUREL_STATIC_DEPS=ON needs LAUREL_DEPS_PREFIX")
  endif()
  laurel_static_dep(simdjson libsimdjson.a ${LAUREL_DEPS_PREFIX})
  laurel_static_dep(cryptopp libcryptopp.a ${LAUREL_DEPS_PREFIX})
  laurel_static_dep(lmdb liblmdb.a ${LAUREL_DEPS_PREFIX})
  laurel_static_dep(zlib libz.a ${LAUREL_DEPS_PREFIX})
  return()
endif()

find_path(SIMDJSON_INCLUDE_DIR simdjson.h REQUIRED)
find_library(SIMDJSON_LIBRARY simdjson REQUIRED)
add_library(laurel::simdjson UNKNOWN IMPORTED GLOBAL)
set_target_properties(laurel::simdjson PROPERTIES IMPORTED_LOCATION ${SIMDJSON_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${SIMDJSON_INCLUDE_DIR})

# Debian installs Crypto++ headers as <crypto++/...>; Laurel includes <cryptopp/...> as upstream
# does, so expose a cryptopp -> crypto++ alias directory.
find_path(CRYPTOPP_PARENT_DIR crypto++/sha.h REQUIRED)
set(_alias ${CMAKE_BINARY_DIR}/cryptopp-include)
if(NOT EXISTS ${_alias}/cryptopp)
  file(MAKE_DIRECTORY ${_alias})
  file(CREATE_LINK ${CRYPTOPP_PARENT_DIR}/crypto++ ${_alias}/cryptopp SYMBOLIC)
endif()
find_library(CRYPTOPP_LIBRARY NAMES crypto++ cryptopp REQUIRED)
add_library(laurel::cryptopp UNKNOWN IMPORTED GLOBAL)
set_target_properties(laurel::cryptopp PROPERTIES IMPORTED_LOCATION ${CRYPTOPP_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${_alias})

# zlib: GZIP for the W3C Bitstring Status List (core/src/detail/gzip.cpp).
find_package(ZLIB REQUIRED)
add_library(laurel::zlib INTERFACE IMPORTED GLOBAL)
target_link_libraries(laurel::zlib INTERFACE ZLIB::ZLIB)

find_path(LMDB_INCLUDE_DIR lmdb.h REQUIRED)
find_library(LMDB_LIBRARY lmdb REQUIRED)
add_library(laurel::lmdb UNKNOWN IMPORTED GLOBAL)
set_target_properties(laurel::lmdb PROPERTIES IMPORTED_LOCATION ${LMDB_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${LMDB_INCLUDE_DIR})
