# Signing, public documents, verification and baking: portable (no I/O, no threads), so the
# WebAssembly module compiles them too.
list(APPEND LAUREL_PORTABLE_SOURCES
  src/keys.cpp
  src/multikey.cpp
  src/jcs.cpp
  src/did.cpp
  src/jws.cpp
  src/bake.cpp
  src/documents.cpp
  src/credential.cpp
  src/vc_jwt_batch.cpp
  src/verify/documents.cpp
  src/verify/keys.cpp
  src/verify/ob2.cpp
  src/verify/ob3.cpp
  src/verify/run.cpp
  src/verify/proofs.cpp
  src/verify/status.cpp
  src/proofs/data_integrity.cpp
  src/proofs/eddsa_rdfc_2022.cpp
  src/proofs/eddsa_jcs_2022.cpp
  src/proofs/ecdsa_sd_2023.cpp
  src/proofs/cbor.cpp
  src/keywrap.cpp
  src/keyring.cpp
  src/detail/crypto.cpp
  src/detail/gzip.cpp
  src/status_list.cpp
  src/ob3_documents.cpp
)
# JSON-LD 1.1 (context processing, expansion, toRdf) and RDFC-1.0 canonicalization.
include(${CMAKE_CURRENT_LIST_DIR}/jsonld_sources.cmake)
