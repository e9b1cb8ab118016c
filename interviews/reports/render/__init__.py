"""Rendering the report: `svg` draws a stored Excalidraw scene as a standalone SVG string (values
from whitelists only), `pdf` lays the report out as a PDF with no actions, links or attachments.
Pure: no database access."""
