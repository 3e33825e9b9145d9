import { InvalidRequestError, type FieldIssue } from '../../functions/domain/errors';

/** The field issues `run` is refused with; fails the test unless it throws InvalidRequestError. */
export function invalidFields(run: () => unknown): FieldIssue[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return (error as InvalidRequestError).fields;
  }
  throw new Error('expected an InvalidRequestError');
}

export const invalidPaths = (run: () => unknown): string[] => invalidFields(run).map((f) => f.path);
