"""The room's websocket protocol: the inbound schemas, the definition and builder of every
outbound message, and the checks of Excalidraw elements. Imports only the models and limits."""
