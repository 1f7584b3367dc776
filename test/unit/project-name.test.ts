import { describe, expect, it } from 'vitest';
import { AegisError } from '../../shared/errors.js';
import { toSnakeCase, validateProjectName } from '../../shared/model/project-name.js';

describe('validateProjectName', () => {
  it.each(['demo', 'my-api', 'mvp_api2', 'a', 'x-1-y'])('accepts %s', (name) => {
    expect(validateProjectName(name)).toBe(name);
  });

  it.each([
    [undefined, 'The project name is empty'],
    ['', 'The project name is empty'],
    ['   ', 'The project name is empty'],
    ['my app', 'contains spaces. Use hyphens instead, e.g. "my-app"'],
    ['1api', 'starts with a digit'],
    ['MyApi', 'uppercase letters. Use lowercase, e.g. "myapi"'],
    ['my.api', 'may only contain lowercase letters, digits'],
    ['-api', 'may only contain lowercase letters, digits'],
    ['api-', 'ends with "-" or "_"'],
    ['class', 'is a Python keyword'],
    ['async', 'is a Python keyword'],
    ['json', 'shadows the Python standard-library module "json"'],
    ['email', 'shadows the Python standard-library module "email"'],
    ['fastapi', 'the "fastapi" package the project depends on'],
    ['pydantic_settings', 'package the project depends on'],
    ['a'.repeat(65), 'longer than 64 characters'],
  ])('refuses %j with a message saying why and what to do', (name, message) => {
    expect(() => validateProjectName(name)).toThrow(AegisError);
    expect(() => validateProjectName(name)).toThrow(message);
  });

  it('gives the identifier form', () => {
    expect(toSnakeCase('my-api-2')).toBe('my_api_2');
  });
});
