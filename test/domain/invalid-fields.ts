import { CatalogError, FieldRefusal, type FieldIssue } from '../../functions/domain/errors';

/**
 * The field issues `run` is refused with; fails the test unless it throws `kind`: a
 * FieldRefusal of what a request asked, or a CatalogError of the operator's tariff.
 */
export function invalidFields(run: () => unknown, kind: typeof FieldRefusal | typeof CatalogError = FieldRefusal): FieldIssue[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(kind);
    return (error as FieldRefusal | CatalogError).fields;
  }
  throw new Error(`expected a ${kind.name}`);
}

export const invalidPaths = (run: () => unknown, kind: typeof FieldRefusal | typeof CatalogError = FieldRefusal): string[] =>
  invalidFields(run, kind).map((f) => f.path);

/** The paths of a CatalogError (the operator's catalog or overrides). */
export const catalogPaths = (run: () => unknown): string[] => invalidPaths(run, CatalogError);
