"""Operations data: complaints, calls, work orders, fees, visits, surveys, work points."""
