"""Reading inputs and writing output records."""
