import { useCallback, useEffect, useState } from 'preact/hooks';
import { request } from './api';
import type { TypedDocumentString } from './gql/graphql';

/** useQuery runs a query when its variables change; reload runs it again. */
export function useQuery<R, V>(doc: TypedDocumentString<R, V>, variables: V, skip = false) {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<{ data?: R; error?: unknown; loading: boolean }>({ loading: !skip });
  const [n, setN] = useState(0);
  useEffect(() => {
    if (skip) return;
    let live = true;
    setState((s) => ({ data: s.data, loading: true }));
    request(doc, variables).then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [key, n, skip]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { ...state, reload };
}
