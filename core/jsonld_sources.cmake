# JSON-LD 1.1 and RDFC-1.0: portable (no I/O), so WebAssembly compiles them too.
list(APPEND LAUREL_PORTABLE_SOURCES
  src/jsonld/api.cpp
  src/rdfc/canonicalize.cpp
)
