# JSON-LD 1.1 and RDFC-1.0: portable (no I/O), so WebAssembly compiles them too.
list(APPEND LAUREL_PORTABLE_SOURCES
  src/rdf/nquads.cpp
  src/rdfc/canonicalize.cpp
  src/jsonld/api.cpp
  src/jsonld/builtin_contexts_data.cpp
  src/jsonld/context.cpp
  src/jsonld/expand.cpp
  src/jsonld/iri.cpp
  src/jsonld/to_rdf.cpp
)
