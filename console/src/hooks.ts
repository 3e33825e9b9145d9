import { useEffect, useState } from 'preact/hooks';
import { lookup } from './api';

export interface LookupState<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
}

/** A lookup's state: loading, its answer, or its failure (shown by <Status>); none while `path` is null. */
export function useLookup<T>(path: string | null): LookupState<T> {
  const [state, setState] = useState<LookupState<T>>({ data: null, error: null, loading: path !== null });
  useEffect(() => {
    if (path === null) {
      setState({ data: null, error: null, loading: false });
      return;
    }
    let live = true;
    setState({ data: null, error: null, loading: true });
    lookup<T>(path).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) => live && setState({ data: null, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [path]);
  return state;
}

const APP_TITLE = 'セキュリティおまかせプラン 契約照会';

/** The tab's title (and a printed PDF's): the screen, then the console; null leaves it to a part of the screen. */
export function usePageTitle(title: string | null): void {
  useEffect(() => {
    if (title !== null) document.title = `${title} | ${APP_TITLE}`;
  }, [title]);
}
