"""Offline Folium maps: copies of the hackkit hub's map helpers (do not edit here)."""
