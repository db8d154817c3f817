import Type from 'typebox';

/** A digital ID as the API takes it; `parseDigitalId` checks its check character. */
export const DigitalIdParam = Type.String({
  description: 'a digital ID: "MD", 20 Crockford base32 characters and a check character',
});

/** The query of a paged list: the opaque cursor of the page before, and the page's size. */
export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
};

/** A page of a list, as every list route answers. */
export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  cursor?: string;
}
