// Test-only: canonical N-Quads of JSON-LD documents by the Digital Bazaar stack (jsonld.toRDF, then
// rdf-canonize RDFC-1.0), for tests/python/test_jsonld_reference.py.
//
// stdin: {"contexts": {url: context document}, "documents": [JSON-LD document, ...]}
// stdout: [{"nquads": canonical N-Quads} | {"error": message}, ...] in the same order.
// Contexts come only from the given map (Laurel's built-in contexts): never the network.
import jsonld from 'jsonld';
import canonize from 'rdf-canonize';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const documentLoader = async (url) => {
  const document = input.contexts[url];
  if (document === undefined) throw new Error(`context not provided: ${url}`);
  return { contextUrl: null, documentUrl: url, document };
};

const results = [];
for (const document of input.documents) {
  try {
    const dataset = await jsonld.toRDF(document, { documentLoader, safe: false });
    // maxWorkFactor 3: the generated rings of look-alike blank nodes exceed rdf-canonize's
    // default (1); Laurel bounds the same work with rdfc::Limits::max_work instead.
    const nquads = await canonize.canonize(dataset, {
      algorithm: 'RDFC-1.0', format: 'application/n-quads', maxWorkFactor: 3,
    });
    results.push({ nquads });
  } catch (error) {
    results.push({ error: String(error && error.message || error) });
  }
}
process.stdout.write(JSON.stringify(results));
