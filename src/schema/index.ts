import { builder } from './builder.js';
import './errors.js';
import './dialog.js';
import './query.js';

export const schema = builder.toSchema();
