/**
 * Why a test that needs to listen on `port` is skipped, from the error the bind failed with;
 * undefined for any other error, which the test should report as a failure.
 */
export function bindSkipReason(error: unknown, port: number): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') {
    return `needs the right to bind port ${port} (${code}: this user may not listen on it)`;
  }
  if (code === 'EADDRINUSE') {
    return `port ${port} is already in use by another process (EADDRINUSE)`;
  }
  return undefined;
}
