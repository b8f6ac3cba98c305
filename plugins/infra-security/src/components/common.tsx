import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  DependencyList,
  FormEvent,
  ReactNode,
  useCallback,
  useState,
} from 'react';
import useAsync from 'react-use/esm/useAsync';

export const TENANT_ROLES = [
  'tenant-admin',
  'security-analyst',
  'auditor',
  'read-only',
] as const;

export const when = (iso?: string) =>
  iso ? new Date(iso).toLocaleString() : '—';

/** Loading, error and content of an async value, the same way on every tab. */
export function Loaded<T>(props: {
  state: { loading: boolean; error?: Error; value?: T };
  children: (value: T) => ReactNode;
}) {
  if (props.state.loading && props.state.value === undefined)
    return <Progress />;
  if (props.state.error)
    return <ResponseErrorPanel error={props.state.error} />;
  return <>{props.children(props.state.value as T)}</>;
}

/**
 * Runs an action, shows its error under the form until the next attempt, and refreshes the data
 * on success.
 */
/**
 * Loads with `fn`, and loads again whenever `retry` is called, even while a load is under way
 * (react-use's own retry does nothing then, so a change made during the first load never showed).
 */
export function useReloadable<T>(fn: () => Promise<T>, deps: DependencyList) {
  const [version, setVersion] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useAsync(fn, [...deps, version]);
  const retry = useCallback(() => setVersion(v => v + 1), []);
  return { ...state, retry };
}

export function useAction(refresh: () => void) {
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      refresh();
      return true;
    } catch (e) {
      setError(e as Error);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error };
}

export function ActionError({ error }: { error?: Error }) {
  if (!error) return null;
  return (
    <Box mt={2}>
      <ResponseErrorPanel error={error} />
    </Box>
  );
}

export function Hint({ children }: { children: ReactNode }) {
  return (
    <Typography variant="body2" color="textSecondary">
      {children}
    </Typography>
  );
}

export function SubmitButton(props: {
  busy: boolean;
  children: ReactNode;
  disabled?: boolean;
}) {
  return (
    <Button
      type="submit"
      variant="contained"
      color="primary"
      disabled={props.busy || props.disabled}
    >
      {props.children}
    </Button>
  );
}

/**
 * A list loaded from the backend: progress while loading, the error if it failed, an empty state
 * when there is nothing, else a table.
 */
export function LoadedTable<T extends object>(props: {
  state: { loading: boolean; error?: Error; value?: T[] };
  title: string;
  columns: TableColumn<T>[];
  empty: { title: string; description: string };
  search?: boolean;
}) {
  return (
    <Loaded state={props.state}>
      {items =>
        items.length === 0 ? (
          <EmptyState
            missing="data"
            title={props.empty.title}
            description={props.empty.description}
          />
        ) : (
          <Table<T>
            title={props.title}
            options={{
              paging: items.length > 20,
              pageSize: 20,
              search: Boolean(props.search),
              padding: 'dense',
            }}
            columns={props.columns}
            data={items}
          />
        )
      }
    </Loaded>
  );
}

/** A card with a one-line form, a hint under it and the last action's error. */
export function FormCard(props: {
  title: string;
  onSubmit: () => void;
  hint: ReactNode;
  error?: Error;
  children: ReactNode;
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit();
  };
  return (
    <Box mt={3}>
      <InfoCard title={props.title}>
        <form onSubmit={submit}>
          <Box display="flex" gridGap={16} alignItems="center" flexWrap="wrap">
            {props.children}
          </Box>
          <Hint>{props.hint}</Hint>
        </form>
        <ActionError error={props.error} />
      </InfoCard>
    </Box>
  );
}
