/** Who is logged in, for every page: loaded once from /api/auth/me/, updated on log-in/out. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { Api, ApiError, type User } from "./api";

type AuthState =
  | { status: "loading" }
  | { status: "anonymous" }
  | { status: "error"; error: string }
  | { status: "user"; user: User };

interface Auth {
  state: AuthState;
  user: User | null;
  login: (username: string, password: string) => Promise<User>;
  signup: (username: string, password: string, email?: string) => Promise<User>;
  logout: () => Promise<void>;
  reload: () => void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: "loading" });

  const reload = useCallback(() => {
    setState({ status: "loading" });
    Api.me()
      .then((me) => setState(me.user ? { status: "user", user: me.user } : { status: "anonymous" }))
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.isAuth) setState({ status: "anonymous" });
        else setState({ status: "error", error: err instanceof Error ? err.message : String(err) });
      });
  }, []);

  useEffect(reload, [reload]);

  const value = useMemo<Auth>(
    () => ({
      state,
      user: state.status === "user" ? state.user : null,
      async login(username, password) {
        const user = await Api.login(username, password);
        setState({ status: "user", user });
        return user;
      },
      async signup(username, password, email) {
        const user = await Api.signup(username, password, email);
        setState({ status: "user", user });
        return user;
      },
      async logout() {
        await Api.logout();
        setState({ status: "anonymous" });
      },
      reload,
    }),
    [state, reload],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth outside AuthProvider");
  return auth;
}
