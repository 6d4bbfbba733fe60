# Third-party libraries as imported targets. Natively they come from Debian's packages; the
# WebAssembly build points LAUREL_WASM_DEPS at the prefix where bindings/wasm built them.
if(TARGET laurel::simdjson)
  return()
endif()

if(LAUREL_WASM)
  set(_deps ${LAUREL_WASM_DEPS})
  add_library(laurel::simdjson STATIC IMPORTED GLOBAL)
  set_target_properties(laurel::simdjson PROPERTIES IMPORTED_LOCATION ${_deps}/lib/libsimdjson.a
    INTERFACE_INCLUDE_DIRECTORIES ${_deps}/include)
  add_library(laurel::cryptopp STATIC IMPORTED GLOBAL)
  set_target_properties(laurel::cryptopp PROPERTIES IMPORTED_LOCATION ${_deps}/lib/libcryptopp.a
    INTERFACE_INCLUDE_DIRECTORIES ${_deps}/include)
  add_library(laurel::zlib STATIC IMPORTED GLOBAL)
  set_target_properties(laurel::zlib PROPERTIES IMPORTED_LOCATION ${_deps}/lib/libz.a
    INTERFACE_INCLUDE_DIRECTORIES ${_deps}/include)
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
