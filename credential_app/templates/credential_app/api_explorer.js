/* Starts Swagger UI on the API's own schema; nothing is fetched from another site. */
(function () {
  'use strict';
  function cookie(name) {
    var match = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return match ? decodeURIComponent(match[1]) : '';
  }
  window.ui = SwaggerUIBundle({
    url: '{{ schema_url|escapejs }}',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    requestInterceptor: function (request) {
      var token = cookie('{{ csrf_cookie|escapejs }}');
      if (token) { request.headers['{{ csrf_header|escapejs }}'] = token; }
      return request;
    }
  });
}());
