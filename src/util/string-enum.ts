import Type from 'typebox';

/** A string schema admitting exactly `values`, typed as their union (errors list the choices). */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string } = {},
) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}
