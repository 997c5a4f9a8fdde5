"""Operations shared by the /_mock handlers, MockZonos and the CLI, free of any transport."""
