/** The two store engines; migrations and dialect-specific code switch on this. */
export type Engine = 'sqlite' | 'postgres';
