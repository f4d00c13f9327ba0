import { Alert, Button, ErrorState, Flex, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import type { Action } from '../lib/remote';

// The states every card shares: loading, a plain error with Retry, a configuration problem.

export function Loading({ label }: { label: string }) {
  return <LoadingSpinner label={label} layout="centered" testId="loading" />;
}

export function LoadError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <ErrorState title="Could not load advocacy data" testId="load-error">
      <Text>{message}</Text>
      <Button onClick={() => onRetry()} testId="retry">
        Retry
      </Button>
    </ErrorState>
  );
}

export function ConfigProblem({ problem }: { problem: string }) {
  return (
    <Alert title="The Advocacy Loop app is not set up" variant="error" testId="config-problem">
      {problem}
    </Alert>
  );
}

/** The result of a button that called the backend: nothing, a success line, or the error. */
export function ActionResult<T>({ state, success, testId }: { state: Action<T>; success: (data: T) => string; testId: string }) {
  if (state.status === 'done') {
    return (
      <Alert title="Done" variant="success" testId={`${testId}-done`}>
        {success(state.data)}
      </Alert>
    );
  }
  if (state.status === 'failed') {
    return (
      <Alert title="That did not work" variant="error" testId={`${testId}-failed`}>
        {state.message}
      </Alert>
    );
  }
  return null;
}

export function Section({ children }: { children: React.ReactNode }) {
  return (
    <Flex direction="column" gap="sm">
      {children}
    </Flex>
  );
}
