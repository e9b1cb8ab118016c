"""The feedback report: its APIs, status, queueing, the task, the build, its schema, and the
pure analysis (`analysis/`) and rendering (`render/`) it is made with."""
