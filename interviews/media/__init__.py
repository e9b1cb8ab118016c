"""The room's media: the participants' audio/video call (signalling is relayed by the room
socket; here are the ICE servers and the checks on what is relayed)."""
