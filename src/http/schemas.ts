import Type from 'typebox';
import type { Role } from '../principals/roles.ts';

export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: 'stable snake_case code' }),
    message: Type.String(),
    field: Type.Optional(Type.String({ description: 'the offending field, on 400' })),
  },
  { additionalProperties: true, $id: 'Error' },
);

const errors = {
  '4xx': Type.Ref('Error'),
  '5xx': Type.Ref('Error'),
};

/** Schema parts for a route callable by `roles`: the bearer scheme and the error responses. */
export function authed(roles: readonly Role[]) {
  return {
    security: [{ bearer: [] }],
    description: `Roles: ${roles.join(', ')}.`,
  };
}

/** Adds the shared error responses to a route's success responses. */
export function responses<T extends Record<number, unknown>>(success: T) {
  return { ...success, ...errors };
}

export const DigitalIdParam = Type.String({
  description: 'a digital ID: "MD", 20 Crockford base32 characters and a check character',
});

export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
};
