import { lazy, Suspense, type ReactNode } from "react";
import { BrowserRouter, Link, NavLink, Navigate, Route, Routes, useLocation, useNavigate } from "react-router-dom";
import { AuthProvider, useAuth } from "./auth";
import { ErrorBox, Loading } from "./components/ui";
import { DashboardPage } from "./pages/Dashboard";
import { HistoryPage } from "./pages/History";
import { InvitePage } from "./pages/Invite";
import { LibraryPage } from "./pages/Library";
import { LoginPage, SignupPage } from "./pages/Auth";
import { NewSessionPage } from "./pages/NewSession";
import { NotFoundPage } from "./pages/NotFound";
import { PracticePage } from "./pages/Practice";
import { PracticeHistoryPage } from "./pages/PracticeHistory";
import { PracticeNotices } from "./pages/PracticeNotices";
import { PracticePairingPage } from "./pages/PracticePairing";
import { PracticePartnerPage } from "./pages/PracticePartner";
import { PracticeProfilePage } from "./pages/PracticeProfile";

// Excalidraw (about 1.8 MB) is only ever loaded by the room page.
const RoomPage = lazy(() => import("./room/RoomPage"));
// The report page brings the charting library; only that page loads it.
const ReportPage = lazy(() => import("./pages/Report"));
// The replay draws the board with Excalidraw too: its own chunk, like the room.
const ReplayPage = lazy(() => import("./pages/Replay"));

export function App() {
  return (
    <BrowserRouter>
      <AuthProvider>
        <Routes>
          <Route path="/login" element={<Shell><LoginPage /></Shell>} />
          <Route path="/signup" element={<Shell><SignupPage /></Shell>} />
          <Route path="/" element={<Private><Shell><DashboardPage /></Shell></Private>} />
          <Route path="/library" element={<Private><Shell><LibraryPage /></Shell></Private>} />
          <Route path="/sessions/new" element={<Private><Shell><NewSessionPage /></Shell></Private>} />
          <Route path="/invite/:token" element={<Private><Shell><InvitePage /></Shell></Private>} />
          <Route
            path="/sessions/:id"
            element={
              <Private>
                <Suspense fallback={<div className="room-loading"><Loading what="Opening the room" /></div>}>
                  <RoomPage />
                </Suspense>
              </Private>
            }
          />
          <Route
            path="/sessions/:id/report"
            element={
              <Private>
                <Shell>
                  <Suspense fallback={<main className="page"><Loading what="Loading the report" /></main>}>
                    <ReportPage />
                  </Suspense>
                </Shell>
              </Private>
            }
          />
          <Route
            path="/sessions/:id/replay"
            element={
              <Private>
                <Shell>
                  <Suspense fallback={<main className="page"><Loading what="Loading the replay" /></main>}>
                    <ReplayPage />
                  </Suspense>
                </Shell>
              </Private>
            }
          />
          <Route path="/history" element={<Private><Shell><HistoryPage /></Shell></Private>} />
          <Route path="/practice" element={<Private><Shell><PracticePage /></Shell></Private>} />
          <Route path="/practice/profile" element={<Private><Shell><PracticeProfilePage /></Shell></Private>} />
          <Route path="/practice/history" element={<Private><Shell><PracticeHistoryPage /></Shell></Private>} />
          <Route path="/practice/pairings/:id" element={<Private><Shell><PracticePairingPage /></Shell></Private>} />
          <Route path="/practice/partners/:username" element={<Private><Shell><PracticePartnerPage /></Shell></Private>} />
          <Route path="*" element={<Shell><NotFoundPage /></Shell>} />
        </Routes>
      </AuthProvider>
    </BrowserRouter>
  );
}

/** Pages that need a user: send anyone else to /login?next=<here>. */
function Private({ children }: { children: ReactNode }) {
  const { state, reload } = useAuth();
  const location = useLocation();
  if (state.status === "loading") return <Loading what="Checking your session" />;
  if (state.status === "error") {
    return (
      <main className="page narrow">
        <ErrorBox title="Could not check your session" error={state.error} onRetry={reload} />
      </main>
    );
  }
  if (state.status === "anonymous") {
    const next = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}

function Shell({ children }: { children: ReactNode }) {
  const { user, logout } = useAuth();
  const navigate = useNavigate();
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Mockroom home">
          <span className="brand-mark" aria-hidden="true">▣</span> Mockroom
        </Link>
        {user && (
          <nav aria-label="Main">
            <NavLink to="/" end>Dashboard</NavLink>
            <NavLink to="/library">Library</NavLink>
            <NavLink to="/sessions/new">New session</NavLink>
            <NavLink to="/history">History</NavLink>
            <NavLink to="/practice">Practice</NavLink>
          </nav>
        )}
        <div className="topbar-user">
          {user ? (
            <>
              <span className="muted">Signed in as <strong>{user.username}</strong></span>
              <button
                type="button"
                className="btn btn-small btn-ghost"
                onClick={() => {
                  void logout().then(() => navigate("/login"));
                }}
              >
                Log out
              </button>
            </>
          ) : (
            <>
              <NavLink to="/login">Log in</NavLink>
              <NavLink to="/signup">Sign up</NavLink>
            </>
          )}
        </div>
      </header>
      {children}
      {user && <PracticeNotices />}
    </div>
  );
}
