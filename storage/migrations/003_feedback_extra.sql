-- Reserved for feedback-dialogue schema changes (kept so versions stay gap-free).
SELECT 1;
