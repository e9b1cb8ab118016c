/**
 * The notifications socket (docs/protocol.md, "Notifications socket"): report and feedback
 * events for the user's sessions and notices about their practice pairings, for pages outside
 * the room. Reconnects by itself.
 */
import { useEffect, useRef } from "react";
import type { ServerMessage } from "./room/protocol";
import { RoomSocket } from "./room/socket";

function notificationsUrl(loc: Location = window.location): string {
  return `${loc.protocol === "https:" ? "wss" : "ws"}://${loc.host}/ws/notifications/`;
}

const NOTIFICATION_TYPES = new Set(["report.status", "report.ready", "feedback.released", "practice.notice"]);

/**
 * Call `onEvent` for every report/feedback notification while the component is mounted, and
 * `onConnect` each time the socket (re)connects: the messages are volatile, so a page that
 * must not miss one reloads its data there.
 */
export function useNotifications(onEvent: (msg: ServerMessage) => void, onConnect?: () => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const connected = useRef(onConnect);
  connected.current = onConnect;
  useEffect(() => {
    const socket = new RoomSocket(notificationsUrl(), {
      onOpen: () => connected.current?.(),
      onMessage: (msg) => {
        if (NOTIFICATION_TYPES.has(msg.type)) handler.current(msg);
      },
      onPong: () => {},
      onDrop: () => {},
      onFatal: () => {},
    });
    socket.start();
    return () => socket.stop();
  }, []);
}
