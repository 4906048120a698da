"""The learner's score in the course, kept where the LMS grades app reads it: edx-submissions.

Each attempt handed in is a submission of the learner's student item (their anonymous id,
the course, the unit); each time the result that counts changes, that attempt's submission
gets the score (``set_score``), or the item's score is reset when nothing counts any more.
The LMS credits the learner the submission belongs to, whoever's request set the score:
an assessor's scoring never touches the assessor's own grade (docs/decisions/0008).
"""
