"""The STL's attention queue in the dashboard (``/stl/atencion``): people who asked for a person."""
