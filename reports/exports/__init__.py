"""Files built from the data: Excel workbooks (and, elsewhere, PDF)."""
