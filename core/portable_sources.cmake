# Signing, public documents, verification and baking: portable (no I/O, no threads), so the
# WebAssembly module compiles them too.
list(APPEND LAUREL_PORTABLE_SOURCES
  src/keys.cpp
  src/jws.cpp
  src/bake.cpp
  src/documents.cpp
  src/credential.cpp
  src/verify.cpp
  src/keywrap.cpp
  src/keyring.cpp
  src/detail/crypto.cpp
)
# JSON-LD 1.1 (context processing, expansion, toRdf) and RDFC-1.0 canonicalization.
include(${CMAKE_CURRENT_LIST_DIR}/jsonld_sources.cmake)
