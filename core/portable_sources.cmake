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
  src/detail/gzip.cpp
  src/status_list.cpp
  src/ob3_documents.cpp
)
