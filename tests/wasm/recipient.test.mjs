import { tests } from './cases/recipient.mjs';
import { register } from './node-context.mjs';

register(tests);
