import { tests } from './cases/json.mjs';
import { register } from './node-context.mjs';

register(tests);
