// App-wide sign-in state. The session itself is an HttpOnly cookie we cannot see, so
// "signed out" is learned from a 401 and cleared by a successful POST /api/v1/session.

export const session = $state({
  /** True once any API call answered 401 (or after sign-out): the layout shows the sign-in form. */
  needsSignIn: false,
  /** Bumped on every successful sign-in so views remount and reload their data. */
  epoch: 0,
});

export function markSignedOut(): void {
  session.needsSignIn = true;
}

export function markSignedIn(): void {
  session.needsSignIn = false;
  session.epoch += 1;
}
