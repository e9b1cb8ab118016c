"""The interviewer's scores and notes, the candidate's self-assessment, and releasing them."""
