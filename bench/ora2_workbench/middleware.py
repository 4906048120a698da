"""The workbench's ``?student=`` always names the session's user, as in our demo."""


class SessionStudentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            query = request.GET.copy()
            query["student"] = request.user.username
            request.GET = query
        return self.get_response(request)
