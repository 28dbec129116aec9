import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { currentUser, onSessionChange, type SessionUser } from "./api/auth.ts";

const Context = createContext<SessionUser | undefined>(undefined);

/** Re-renders the app when someone signs in or out (in this tab or another). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState(currentUser);
  useEffect(() => onSessionChange(() => setUser(currentUser())), []);
  return <Context.Provider value={user}>{children}</Context.Provider>;
}

/** The signed-in user, or undefined for a guest. */
export function useUser(): SessionUser | undefined {
  return useContext(Context);
}
