// Verifies Open Badges 3.0 / VC 2.0 credentials with software this project did not write:
// Digital Bazaar's @digitalbazaar/vc with the eddsa-rdfc-2022 Data Integrity cryptosuite
// (JSON-LD in safe mode), and @digitalbazaar/vc-bitstring-status-list for the status check
// (the status list credential's own proof, its issuer against the credential's, the bit).
//
// Nothing is fetched: the input names everything a verifier would otherwise resolve.
//   input:  {"contexts_dir": <folder of the JSON-LD context files>,
//            "did_documents": [<DID document>...],
//            "status_lists": {<status list credential URL>: <status list credential>},
//            "credentials": [<credential>...],
//            "documents": [<any JSON-LD document>...],
//            "jwts": [<compact VC-JWT>...]}
//   result: {"credentials": [{"verified": bool, "revoked": bool|null, "suspended": bool|null,
//                             "errors": [...]}...],
//            "documents": [{"canonical": bool, "error": <message>|null}...],
//            "jwts": [{"verified": bool, "alg": <JOSE alg>, "payload": <claims>|null,
//                      "error": <message>|null}]}
// A JWT is checked with panva's jose against the key its "kid" names in the DID document
// (a JsonWebKey2020's publicKeyJwk for RS256, or a Multikey turned into a JWK by Digital
// Bazaar's ed25519-multikey for EdDSA), never against the key the token carries in its own
// header, and only with the algorithm that key is for.
// "documents" are canonicalised (RDFC-1.0) by jsonld.js in safe mode with no base IRI, as a
// conformant verifier processes what it is handed.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {compactVerify, decodeProtectedHeader, importJWK} from 'jose';
import jsonld from 'jsonld';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';

const CONTEXT_FILES = {
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
  'https://w3id.org/security/data-integrity/v1': 'data-integrity-v1.jsonld',
  'https://w3id.org/security/data-integrity/v2': 'data-integrity-v2.jsonld',
  'https://w3id.org/security/multikey/v1': 'multikey-v1.jsonld',
  'https://www.w3.org/ns/did/v1': 'did-v1.jsonld',
  'https://w3id.org/security/suites/jws-2020/v1': 'jws-2020-v1.jsonld',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': 'ob-v3p0-3.0.3.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json': 'ob-v3p0-extensions.json',
};

export async function verifyAll(input) {
  const dids = new Map(input.did_documents.map(doc => [doc.id, doc]));
  const statusLists = input.status_lists || {};

  async function documentLoader(url) {
    const found = document => ({contextUrl: null, documentUrl: url, document});
    if (CONTEXT_FILES[url]) {
      return found(JSON.parse(readFileSync(path.join(input.contexts_dir, CONTEXT_FILES[url]),
                                           'utf8')));
    }
    if (statusLists[url]) {
      return found(statusLists[url]);
    }
    const [did, fragment] = url.split('#');
    const doc = dids.get(did);
    if (doc && fragment === undefined) {
      return found(doc);
    }
    const method = doc && (doc.verificationMethod || []).find(m => m.id === url);
    if (method) {
      return found({'@context': doc['@context'], ...method});
    }
    throw new Error(`not available offline: ${url}`);
  }

  function messages(error, out = []) {
    if (!error) {
      return out;
    }
    out.push(error.message || String(error));
    (error.errors || []).forEach(e => messages(e, out));
    messages(error.cause, out);
    return out;
  }

  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const results = [];
  for (const credential of input.credentials || []) {
    const errors = [];
    let revoked = null, suspended = null;
    const result = await vc.verifyCredential({
      credential, suite, documentLoader,
      checkStatus: async options => {
        const status = await checkStatus({...options, suite, documentLoader});
        if (status.verified) {  // one result per status entry; ours has one, by its purpose
          for (const r of status.results || []) {
            if (r.credentialStatus.statusPurpose === 'suspension') {
              suspended = r.status === true;
            } else {
              revoked = r.status === true;
            }
          }
        }
        return status;
      },
    });
    messages(result.error, errors);
    (result.results || []).forEach(r => messages(r.error, errors));
    if (result.statusResult) {
      messages(result.statusResult.error, errors);
    }
    results.push({verified: result.verified === true, revoked, suspended, errors});
  }
  const documents = [];
  for (const document of input.documents || []) {
    try {
      await jsonld.canonize(document, {documentLoader, safe: true, base: null,
                                       algorithm: 'RDFC-1.0'});
      documents.push({canonical: true, error: null});
    } catch (error) {
      const event = error.details && error.details.event;
      documents.push({canonical: false,
                      error: event ? `${event.code}: ${JSON.stringify(event.details)}` : error.message});
    }
  }
  const jwts = [];
  for (const token of input.jwts || []) {
    try {
      const {kid} = decodeProtectedHeader(token);
      const method = (dids.get(String(kid).split('#')[0])?.verificationMethod || [])
        .find(m => m.id === kid);
      if (!method) {
        throw new Error(`no verification method ${kid} in the DID documents given`);
      }
      let jwk, alg;
      if (method.type === 'JsonWebKey2020' && method.publicKeyJwk?.kty === 'RSA') {
        [jwk, alg] = [method.publicKeyJwk, 'RS256'];
      } else {
        const keyPair = await Ed25519Multikey.from({...method, '@context':
          'https://w3id.org/security/multikey/v1'});
        [jwk, alg] = [await Ed25519Multikey.toJwk({keyPair}), 'EdDSA'];
      }
      // The signature only: dates and revocation are the credential's, checked elsewhere.
      const {payload, protectedHeader} = await compactVerify(token, await importJWK(jwk, alg),
                                                             {algorithms: [alg]});
      jwts.push({verified: true, alg: protectedHeader.alg,
                 payload: JSON.parse(new TextDecoder().decode(payload)), error: null});
    } catch (error) {
      jwts.push({verified: false, payload: null, error: error.message});
    }
  }
  return {credentials: results, documents, jwts};
}
