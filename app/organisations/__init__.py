"""organisations domain."""
