// The independent verifier (verifier.mjs) for the test suite: its input as JSON on stdin,
// its result as JSON on stdout.
import {readFileSync} from 'node:fs';
import {verifyAll} from './verifier.mjs';

const result = await verifyAll(JSON.parse(readFileSync(0, 'utf8')));
process.stdout.write(JSON.stringify(result));
