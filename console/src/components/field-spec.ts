/** What a form says about one of its fields (a plain module: the tests read it without JSX). */
export interface FieldSpec {
  /** The API's dotted path (`natural.birthDate`): the control's name. */
  path: string;
  label: string;
  hint?: string;
  required?: boolean;
  control?: 'text' | 'select' | 'lines';
  /** A select's choices, [value, words]. */
  options?: [string, string][];
  inputMode?: 'text' | 'numeric' | 'tel' | 'email';
  autoComplete?: string;
}

/** An element id from a form's prefix and a dotted path. */
export const controlId = (form: string, path: string) => `${form}-${path.replaceAll('.', '-')}`;
