import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ValidationError } from '../errors.ts';

export { StringEnum } from './string-enum.ts';

// ajv-formats is CommonJS; under Node's ESM loader its callable sits on `default`.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * A keyword every string schema gets from `textOnly`: no NUL character (U+0000). PostgreSQL's text
 * cannot hold one (SQLite's can), so the same input must be a 400 on both stores, not a 500 on one.
 */
const noNul = 'x-no-nul';

function newAjv(options: Options): Ajv {
  const ajv = addFormats(
    new Ajv({
      allErrors: false,
      removeAdditional: false,
      useDefaults: false,
      discriminator: true,
      strict: false,
      ...options,
    }),
  );
  ajv.addKeyword({
    keyword: noNul,
    type: 'string',
    schemaType: 'boolean',
    validate: (_on: boolean, data: string) => !data.includes('\u0000'),
  });
  return ajv;
}

/**
 * A copy of `schema` in which every string, and every free-form property name, refuses the NUL
 * character: the one place that keeps it out of the store, for bodies, queries, paths and batch
 * items alike.
 */
export function textOnly(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(textOnly);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Record<string, unknown> = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, textOnly(value)]),
  );
  const type = copy.type;
  if (type === 'string' || (Array.isArray(type) && type.includes('string'))) copy[noNul] = true;
  const freeKeys =
    copy.patternProperties !== undefined ||
    (copy.additionalProperties !== undefined && copy.additionalProperties !== false);
  if (type === 'object' && freeKeys && copy.propertyNames === undefined) {
    copy.propertyNames = { [noNul]: true };
  }
  return copy;
}

/** Bodies are validated as sent: no coercion, unknown fields rejected by the schemas. */
export const bodyAjv = newAjv({ coerceTypes: false });

/** Query strings and path parameters arrive as text: numbers and booleans are coerced. */
export const textAjv = newAjv({ coerceTypes: true });

/**
 * Bodies checked for every field's problem at once (`compileFullCheck`): ajv then goes on past
 * the first error, which costs more on a long body, so only forms a person fills use it.
 */
const fullAjv = newAjv({ coerceTypes: false, allErrors: true });

/** A validation failure as one error that names the field, e.g. `natural.birthDate`. */
export function validationErrorFrom(errors: ErrorObject[], prefix: string): ValidationError {
  const error = errors[0];
  return error === undefined
    ? new ValidationError(prefix || 'body', 'is invalid')
    : fieldError(error, prefix);
}

/** One ajv error as the error that names its field. */
function fieldError(error: ErrorObject, prefix: string): ValidationError {
  const segments = error.instancePath.split('/').filter((s) => s !== '');
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'required') {
    segments.push(String(error.params.missingProperty));
    message = 'is required';
  } else if (error.keyword === 'additionalProperties') {
    segments.push(String(error.params.additionalProperty));
    message = 'is not a known field';
  } else if (error.keyword === 'enum') {
    message = `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
  } else if (error.keyword === 'discriminator') {
    segments.push(String(error.params.tag));
    message = error.params.error === 'tag' ? 'is required as a string' : 'is not one of the allowed values';
  } else if (error.keyword === 'pattern') {
    message = 'is not in the expected format';
  } else if (error.keyword === noNul) {
    message = 'must not contain the NUL character (U+0000)';
  } else if (error.keyword === 'propertyNames') {
    segments.push(String(error.params.propertyName));
    message = 'is not a valid field name';
  }
  const field = [prefix, ...segments].filter((s) => s !== '').join('.');
  return new ValidationError(field || 'body', message);
}

/** A check of a value's shape: throws a ValidationError naming the field under `prefix`. */
export type Check<T> = (value: unknown, prefix: string) => asserts value is T;

/** Compiles a schema into a check that throws a ValidationError naming the field under `prefix`. */
export function compileCheck<T>(schema: object): Check<T> {
  const validate = bodyAjv.compile(textOnly(schema) as object);
  return (value, prefix) => {
    if (!validate(value)) throw validationErrorFrom(validate.errors ?? [], prefix);
  };
}

/**
 * Compiles a schema into a function that lists every field's problem (one per field, the first
 * ajv found there), or none; nothing is thrown.
 */
export function compileFullCheck(schema: object): (value: unknown, prefix: string) => ValidationError[] {
  const validate = fullAjv.compile(textOnly(schema) as object);
  return (value, prefix) => {
    if (validate(value)) return [];
    const byField = new Map<unknown, ValidationError>();
    for (const error of validate.errors ?? []) {
      const problem = fieldError(error, prefix);
      if (!byField.has(problem.details.field)) byField.set(problem.details.field, problem);
    }
    return byField.size > 0 ? [...byField.values()] : [new ValidationError(prefix || 'body', 'is invalid')];
  };
}
