import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ValidationError } from '../errors.ts';

export { StringEnum } from './string-enum.ts';

// ajv-formats is CommonJS; under Node's ESM loader its callable sits on `default`.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function newAjv(options: Options): Ajv {
  return addFormats(
    new Ajv({
      allErrors: false,
      removeAdditional: false,
      useDefaults: false,
      discriminator: true,
      strict: false,
      ...options,
    }),
  );
}

/** Bodies are validated as sent: no coercion, unknown fields rejected by the schemas. */
export const bodyAjv = newAjv({ coerceTypes: false });

/** Query strings and path parameters arrive as text: numbers and booleans are coerced. */
export const textAjv = newAjv({ coerceTypes: true });

/** A validation failure as one error that names the field, e.g. `natural.birthDate`. */
export function validationErrorFrom(errors: ErrorObject[], prefix: string): ValidationError {
  const error = errors[0];
  if (error === undefined) return new ValidationError(prefix || 'body', 'is invalid');
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
  }
  const field = [prefix, ...segments].filter((s) => s !== '').join('.');
  return new ValidationError(field || 'body', message);
}

/** A check of a value's shape: throws a ValidationError naming the field under `prefix`. */
export type Check<T> = (value: unknown, prefix: string) => asserts value is T;

/** Compiles a schema into a check that throws a ValidationError naming the field under `prefix`. */
export function compileCheck<T>(schema: object): Check<T> {
  const validate = bodyAjv.compile(schema);
  return (value, prefix) => {
    if (!validate(value)) throw validationErrorFrom(validate.errors ?? [], prefix);
  };
}
