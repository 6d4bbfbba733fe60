import { tests } from './cases/verify.mjs';
import { register } from './node-context.mjs';

register(tests);
