"""Helpers the test suite and the benchmarks share: Excalidraw elements as the editor sends them,
server processes on free ports, and interviews set up as people would. Neither imports the
other's code."""
