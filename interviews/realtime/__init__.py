"""Transport only: the hub (membership, fan-out, peer forwarding), publishing from outside a
socket, the wire vocabulary and the rate limiter. Imports nothing of the app but config; what it
must trigger it is handed at start-up (`interviews.room.wiring`)."""
