"""Dashboard pages for the co-creation tables: adjusting suggested groups, merged problem trees."""
