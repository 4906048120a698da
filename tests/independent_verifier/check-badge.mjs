// Checks a published badge the way a relying party would, with the independent verifier
// (verifier.mjs: Digital Bazaar's Data Integrity stack and panva's jose), over HTTP only:
//
//   node check-badge.mjs <public badge page URL>     e.g. http://127.0.0.1:8000/credential-app/badges/<uuid>/
//
// It downloads the four forms the page offers (credential.json, badge.png, badge.svg,
// credential.jwt), takes the credential out of the PNG (iTXt chunk "openbadgecredential")
// and the SVG (<openbadges:credential>), resolves the issuer's did:web and the status list
// from the URLs the credential names, and prints one line per form. Exit status 0 when all
// four verify and none is revoked or suspended, 1 otherwise, 2 when something could not be fetched.
// did:web means https; for a loopback host (the demo) it is fetched over plain http.
import {inflateSync} from 'node:zlib';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {verifyAll} from './verifier.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CONTEXTS = path.join(HERE, '..', '..', 'credential_app', 'openbadges', 'jsonld_contexts');
const MAX_BYTES = 4 * 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

async function get(url) {
  const response = await fetch(url, {redirect: 'follow', signal: AbortSignal.timeout(15000)});
  if (!response.ok) {
    throw new Error(`${url}: HTTP ${response.status}`);
  }
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > MAX_BYTES) {
    throw new Error(`${url}: larger than ${MAX_BYTES} bytes`);
  }
  return body;
}

const getJson = async url => JSON.parse((await get(url)).toString('utf8'));

// did:web:<host%3Aport>:<path segments> -> https://<host:port>/<path>/did.json
function didWebUrl(did) {
  const [host, ...segments] = did.slice('did:web:'.length).split(':').map(decodeURIComponent);
  const scheme = LOOPBACK.has(host.replace(/:\d+$/, '')) ? 'http' : 'https';
  const where = segments.length ? segments.join('/') : '.well-known';
  return `${scheme}://${host}/${where}/did.json`;
}

// The text of the PNG's iTXt chunk "openbadgecredential" (Open Badges baking).
function unbakePng(png) {
  for (let at = 8; at + 8 <= png.length;) {
    const length = png.readUInt32BE(at);
    const kind = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    if (kind === 'iTXt') {
      const keywordEnd = body.indexOf(0);
      if (body.toString('latin1', 0, keywordEnd) === 'openbadgecredential') {
        const compressed = body[keywordEnd + 1] === 1;
        const languageEnd = body.indexOf(0, keywordEnd + 3);
        const translatedEnd = body.indexOf(0, languageEnd + 1);
        const text = body.subarray(translatedEnd + 1);
        return (compressed ? inflateSync(text) : text).toString('utf8');
      }
    }
    at += 12 + length;
  }
  throw new Error('the PNG carries no openbadgecredential iTXt chunk');
}

// The credential in the SVG's <openbadges:credential>: a JWT in its verify attribute, or
// JSON in its CDATA content.
function unbakeSvg(svg) {
  const element = svg.match(
    /<openbadges:credential\b([^>]*?)(?:\/>|>([\s\S]*?)<\/openbadges:credential>)/);
  if (!element) {
    throw new Error('the SVG carries no <openbadges:credential> element');
  }
  const verify = element[1].match(/\bverify="([^"]+)"/);
  if (verify) {
    return verify[1];
  }
  // CDATA sections, joined (a "]]>" inside the payload is split across two sections)
  return (element[2] || '').trim().replace(/^<!\[CDATA\[/, '').replace(/\]\]>$/, '')
    .replaceAll(']]><![CDATA[', '');
}

const page = new URL(process.argv[2] || '');
if (!page.pathname.endsWith('/')) {
  page.pathname += '/';
}
const forms = {};
let credential;
try {
  credential = await getJson(new URL('credential.json', page));
  forms['JSON download'] = credential;
  forms['baked PNG'] = unbakePng(await get(new URL('badge.png', page)));
  forms['baked SVG'] = unbakeSvg((await get(new URL('badge.svg', page))).toString('utf8'));
  forms['VC-JWT download'] = (await get(new URL('credential.jwt', page))).toString('utf8').trim();
} catch (error) {
  console.error(`Could not fetch the badge's downloads: ${error.message}`);
  process.exit(2);
}

const issuer = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer.id;
const input = {contexts_dir: CONTEXTS, did_documents: [], status_lists: {}, credentials: [],
               documents: [], jwts: []};
try {
  input.did_documents.push(await getJson(didWebUrl(issuer)));
  for (const entry of [].concat(credential.credentialStatus || [])) {
    input.status_lists[entry.statusListCredential] = await getJson(entry.statusListCredential);
  }
} catch (error) {
  console.error(`Could not resolve the issuer or the status list: ${error.message}`);
  process.exit(2);
}
const order = [];
for (const [name, form] of Object.entries(forms)) {
  const text = typeof form === 'string' ? form.trim() : null;
  if (text && !text.startsWith('{')) {
    input.jwts.push(text);
    order.push([name, 'jwts', input.jwts.length - 1]);
  } else {
    input.credentials.push(text ? JSON.parse(text) : form);
    order.push([name, 'credentials', input.credentials.length - 1]);
  }
}

const result = await verifyAll(input);
let allGood = true;
console.log(`Issuer ${issuer} (DID document from ${didWebUrl(issuer)})`);
for (const [name, kind, index] of order) {
  const said = result[kind][index];
  let line;
  if (kind === 'jwts') {
    // the token's signature; its credential's status is the same credential's, checked above
    line = said.verified ? `verified (${said.alg}, key from the DID document)` :
      `NOT verified: ${said.error}`;
  } else if (!said.verified) {
    line = `NOT verified: ${said.errors.join('; ')}`;
  } else {
    line = said.revoked ? 'signature verified, but REVOKED (status list)' :
      said.suspended ? 'signature verified, but SUSPENDED (status list)' :
      `verified, status: not ${said.suspended === false ? 'suspended' : 'revoked'}`;
  }
  allGood &&= said.verified && said.revoked !== true && said.suspended !== true;
  console.log(`${name.padEnd(16)} ${line}`);
}
process.exit(allGood ? 0 : 1);
