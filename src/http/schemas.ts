import Type, { type TArray, type TSchema } from 'typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: 'stable snake_case code' }),
    message: Type.String(),
    field: Type.Optional(Type.String({ description: 'the offending field, on 400' })),
    fields: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), {
        description:
          'on a 400 of a body checked whole (POST /v1/subjects): every field’s problem, the first being `field` and `message`',
      }),
    ),
  },
  { additionalProperties: true, $id: 'Error' },
);

const errors = {
  '4xx': Type.Ref('Error'),
  '5xx': Type.Ref('Error'),
};

/** Adds the shared error responses to a route's success responses. */
export function responses<T extends Record<number, unknown>>(success: T) {
  return { ...success, ...errors };
}

export { DigitalIdParam, PageQuery } from '../api/common.ts';

const perItem = 'x-validated-per-item';

/**
 * A batch: an array of up to `maxItems` objects that the route checks one by one against `item`,
 * answering each bad one in its own result instead of refusing the batch. The OpenAPI document
 * shows `item`; the body's validation only requires objects (see `batchItemsRelaxed`).
 */
export function Batch<T extends TSchema>(item: T, maxItems: number): TArray<T> {
  return Type.Array(item, { minItems: 1, maxItems, [perItem]: true });
}

/** The schema with each `Batch`'s items relaxed to any object, for the body's validation. */
export function batchItemsRelaxed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(batchItemsRelaxed);
  if (schema === null || typeof schema !== 'object') return schema;
  const relaxed = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, batchItemsRelaxed(value)]),
  );
  if (relaxed[perItem] === true) relaxed.items = { type: 'object' };
  return relaxed;
}
