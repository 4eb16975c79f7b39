from odoo import fields, models


class QueueJob(models.Model):
    _inherit = "queue.job"

    sme_interruptions = fields.Integer(
        "Interrupted", readonly=True,
        help="Times a server stop (or a time limit) killed this sync job while it ran; it is queued again "
             "on its own up to a limit, then failed with the reason.")
